"""Kyrgyzstan's open-budget portal: a table of local budgets whose rows link straight to the files."""
from sources.budget.site import BudgetFilesSite
from sources.crawl import Listing


class OkmotLocalBudgets(BudgetFilesSite):
    listing = Listing(item="table.table-docs tr.doc-row", link="td.doc-title a", next="ul.pagination a[rel=next]")
