"""Classifiers over extracted measures: catalogue classes, trained from editable data."""
