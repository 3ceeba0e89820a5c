"""Budget execution reports of regional akimats on the gov.kz portal: a documents listing, detail pages,
attachments under /uploads/ (the same page layout as the portal's memoranda, see sources/memoranda/gov_kz.py)."""
from sources.budget.site import BudgetFilesSite
from sources.crawl import Detail, Listing


class GovKzBudgetFiles(BudgetFilesSite):
    listing = Listing(item="ul.documents-list li.document-item", link="a.document-link", next="nav.pagination a[rel=next]",
                      date=".document-date")
    detail = Detail(title="article.document h1.document-title", body="article.document div.document-body",
                    date="article.document .document-date", attachments="article.document ul.attachments a.attachment")
