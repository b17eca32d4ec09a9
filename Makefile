# The whole set-up of a new machine is `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: system-packages demo test install benchmark clean

install: $(STAMP)

$(STAMP): pyproject.toml
	# charts need a font with Chinese glyphs; Debian's Noto CJK when none is there
	fc-list :lang=zh 2>/dev/null | grep -q . || (apt-get update -qq && apt-get install -y -qq --no-install-recommends fontconfig fonts-noto-cjk)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python -q -e '.[dev]'
	# bytecode written once: where PYTHONDONTWRITEBYTECODE is set, every run compiled its
	# imports again (about 10 s of each run); a library's file that does not compile is its own
	-$(BIN)/python -m compileall -q -j 0 $(VENV)/lib extractors models pipelines > /dev/null 2>&1
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/policycat run corpora/ -o outputs/

test: $(STAMP) system-packages
	$(BIN)/pytest -q -n 2 --dist loadgroup

# what the tests drive besides Python: Debian's chromium (the review page's browser test) and
# LibreOffice Writer and Calc (the Word report as PDF pages, the workbooks opened); where they
# cannot be installed (no root, no network), those tests skip saying why
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "could not install$$missing: the tests that need them skip"; \
	  else echo "not installed:$$missing (apt-get install them as root): the tests that need them skip"; fi; \
	fi

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py --write

# a run's outputs, and the classifiers runs trained (their cache folder: pipelines/classify.py)
clean:
	rm -rf outputs/*.jsonl outputs/*.parquet outputs/*.xlsx outputs/*.docx outputs/*.html outputs/report.md outputs/charts outputs/texts outputs/run.json outputs/run.lock outputs/.cache .prefect
	rm -rf "$${POLICYCAT_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/policycat}/classifier" "$${POLICYCAT_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/policycat}/analysis"
