"""Regional akimats on the unified gov.kz portal: /documents/memoranda?page=N, detail pages, /uploads/ files."""
from sources.crawl import Detail, Listing
from sources.memoranda.site import MemorandaSite


class GovKzMemoranda(MemorandaSite):
    listing = Listing(item="ul.documents-list li.document-item", link="a.document-link", next="nav.pagination a[rel=next]", date=".document-date")
    detail = Detail(
        title="article.document h1.document-title",
        body="article.document div.document-body",
        date="article.document .document-date",
        attachments="article.document ul.attachments a.attachment",
    )
    native_id = r"/documents/details/(\d+)"
