"""The static site published with every release: pages advocates read instead of code.

render_release_site(release_dir)  writes <release>/index.html and <release>/charts/*.svg
render_catalog(published_dir)     writes <published>/index.html listing every package and version

Pages are plain HTML with inline CSS, no scripts, fonts or CDNs, and relative links only, so a
release copied to a USB stick still works. Everything read from the data is escaped. Output is
deterministic: the same release renders to the same bytes.
"""
from pipelines.site.catalog import render_catalog
from pipelines.site.release_page import render_release_site

__all__ = ["render_catalog", "render_release_site"]
