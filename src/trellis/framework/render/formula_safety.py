"""Keeping user text from being run as a spreadsheet formula: the one rule lives in
:mod:`trellis.tabular.formulas`, shared by every reader and writer of spreadsheets."""

from trellis.tabular.formulas import FORMULA_TRIGGERS, TEXT_PREFIX, neutralise_formula

__all__ = ["FORMULA_TRIGGERS", "TEXT_PREFIX", "neutralise_formula"]
