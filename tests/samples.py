"""Strings the built test files contain, shared by the fixtures that write them
(``conftest.py``) and the tests that look for them."""

# Running header of the built PDF; a string the seed text does not contain.
PDF_HEADER = "靖江市政协文件汇编（内部资料）"

DOCX_SECTIONS = (
    ("深刻认识全市政协工作会议的重要意义", "政协各参加单位、各专门委员会、各界别小组、各基层工委、政协机关、广大政协委员和政协工作者要深刻认识会议的重要意义。"),
    ("准确把握全市政协工作会议的主要精神", "充分认识加强和改进政协工作的重要性。"),
)
DOCX_LIST_ITEMS = (
    "建立健全委员培训制度",
    "每年对委员至少开展一次集中培训",
    "建设“有事好商量”协商议事室",
)
DOCX_TABLE = (
    ("任务", "责任单位", "完成时限"),
    ("学习贯彻会议精神", "政协机关", "年底前"),
    ("委员工作经费列入预算", "财政部门", "每年"),
)

HTML_MENU = ("首页", "政协概况", "协商议政", "委员风采", "联系我们")
HTML_BREADCRUMB = "当前位置：首页 > 工作动态 > 文件通知"
HTML_FOOTER = "版权所有：政协靖江市委员会办公室　苏ICP备12345678号"
HTML_SCRIPT = "alert(1)"
HTML_STYLE_RULE = "color: #c00"
