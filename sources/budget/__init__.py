"""Local budget files (execution reports, revenue tables, open-budget APIs) as long-format budget lines.

Why: civil society asks akimats and ayil okmotu to account for the money subsoil users pay into local
budgets. Every file is read the same way whether it was crawled (adapters in this package) or handed in by an
auditor (`parse_file`); subtotals and totals are kept apart (`budget_totals`) and checked (`total_findings`).
"""
from sources.budget.errors import BudgetFileError
from sources.budget.parse import LINES, TOTALS, parse_file
from sources.budget.totals import total_findings

RESOURCES = (LINES, TOTALS)

__all__ = ["BudgetFileError", "LINES", "RESOURCES", "TOTALS", "parse_file", "total_findings"]
