"""The FICTIONAL sample publishers of the bundled mirror (hosts under the reserved .example TLD).

Each layout is one of the real patterns companies use; the companies, projects and amounts are invented
(see sources/mirror/PROJECTS.md and tools/build_projects_mirror.py).
"""
from sources.projects.site import DownloadedListProjects, HtmlTableProjects


class DemoCaspianOilProjects(HtmlTableProjects):
    """Russian HTML table with region section rows and amounts in thousands of tenge."""

    table = "table.social-projects"


class UlgiMunaiProjects(HtmlTableProjects):
    """Kazakh HTML table: a title row inside the table, reordered columns, region sections."""

    table = "div.page-content table"


class DemoZhaikMineralsProjects(DownloadedListProjects):
    """A page linking an XLSX list with English headers, amounts in tenge."""

    links = "a.download-xlsx"


class DemoAktobeCopperProjects(DownloadedListProjects):
    """A page linking a semicolon-separated cp1251 CSV list with Russian headers."""

    links = 'ul.documents a[href$=".csv"]'
