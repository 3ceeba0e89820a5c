"""Dagster assets, one per layer, named by it: raw_<source> → parsed_* → validated_* → published_release.

Each asset is a thin wrapper over pipelines/steps.py; what Dagster adds is lineage, run history,
metadata for auditors, a blocking volume check and scheduling.
"""

import csv

import dagster as dg

from pipelines import steps
from pipelines.schemas import dagster_column_schema
from pipelines.settings import settings
from sources.catalog import Source

VOLUME_DROP_LIMIT = 0.5  # a source yielding under half of last release's rows blocks publication


def raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"raw_{source.id.replace('-', '_')}",
        group_name="raw",
        description=f"Documents crawled from {source.publisher} ({source.base_url}), archived by sha256.",
        metadata={"source_id": source.id, "base_url": dg.MetadataValue.url(source.base_url), "family": source.family},
        kinds={"python"},
        pool=f"host_{source.id.replace('-', '_')}",
    )
    def _raw(context: dg.AssetExecutionContext) -> dg.Output[dict]:
        manifest = steps.raw_crawl(source, settings())
        context.log.info(f"{source.id}: {len(manifest['items'])} items, {len(manifest['documents'])} documents")
        return dg.Output(manifest, metadata={"items": len(manifest["items"]), "documents": len(manifest["documents"])})

    return _raw


def memoranda_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    raws = {source.id: raw_asset(source) for source in sources}
    ins = {f"raw_{sid.replace('-', '_')}": dg.AssetIn(key=raws[sid].key) for sid in raws}
    by_input = {f"raw_{sid.replace('-', '_')}": source for sid, source in ((s.id, s) for s in sources)}

    @dg.asset(group_name="parsed", ins=ins, description="Memoranda rows read from the archived documents, typed, before validation.")
    def parsed_memoranda(context: dg.AssetExecutionContext, **manifests) -> dg.Output[list]:
        rows = []
        for name in sorted(manifests):
            rows += steps.parsed_tables(by_input[name], manifests[name], settings())["memoranda"]
        per_source = _count(row["source_id"] for row in rows)
        return dg.Output(rows, metadata={"rows": len(rows), "rows_by_source": per_source})

    @dg.asset(group_name="parsed", ins=ins, description="One row per archived raw document (page or attachment).")
    def parsed_documents(**manifests) -> dg.Output[list]:
        rows = steps.document_rows([manifests[name] for name in sorted(manifests)], settings())
        return dg.Output(rows, metadata={"rows": len(rows)})

    return [*raws.values(), parsed_memoranda, parsed_documents]


@dg.asset(group_name="parsed", description="KATO / SOATE region reference table (sources/reference/regions.csv).")
def parsed_regions() -> dg.Output[list]:
    rows = steps.region_rows()
    return dg.Output(rows, metadata={"rows": len(rows)})


VALIDATED = ["memoranda", "documents", "regions", "quarantine"]


@dg.multi_asset(
    group_name="validated",
    outs={
        f"validated_{name}": dg.AssetOut(
            description=f"{name}: rows that passed schemas/{name}.schema.json" if name != "quarantine" else "Rows that failed validation, with their errors.",
            metadata={"dagster/column_schema": dagster_column_schema(name)},
        )
        for name in VALIDATED
    },
)
def validated_package(parsed_memoranda: list, parsed_documents: list, parsed_regions: list):
    checked = steps.validated({"memoranda": parsed_memoranda, "documents": parsed_documents, "regions": parsed_regions})
    for name in ("memoranda", "documents", "regions"):
        yield dg.Output(checked.tables[name], output_name=f"validated_{name}", metadata={"dagster/row_count": len(checked.tables[name])})
    yield dg.Output(checked.quarantine, output_name="validated_quarantine", metadata={"dagster/row_count": len(checked.quarantine), **_json_meta(checked.summary())})


@dg.asset_check(asset="validated_memoranda", blocking=True, description="Every memoranda source yields rows, and not far fewer than the latest release.")
def memoranda_volume(validated_memoranda: list) -> dg.AssetCheckResult:
    from sources.catalog import load_catalog

    now = _count(row["source_id"] for row in validated_memoranda)
    before = previous_release_counts("memoranda", "source_id")
    problems = []
    for source in (s for s in load_catalog() if s.family == "memoranda"):
        current, previous = now.get(source.id, 0), before.get(source.id, 0)
        if current == 0:
            problems.append(f"{source.id}: no valid rows")
        elif previous and current < previous * VOLUME_DROP_LIMIT:
            problems.append(f"{source.id}: {current} rows, down from {previous} in the latest release")
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows_by_source": dg.MetadataValue.json(now), "latest_release": dg.MetadataValue.json(before), "problems": "; ".join(problems) or "none"},
    )


def previous_release_counts(resource: str, column: str) -> dict:
    from pipelines.release import latest_version
    from pipelines.schemas import package_metadata

    package_dir = settings().published_dir / package_metadata()["name"]
    version = latest_version(package_dir)
    if not version:
        return {}
    with open(package_dir / version / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return _count(row[column] for row in csv.DictReader(handle))


@dg.asset(
    group_name="published",
    ins={f"validated_{name}": dg.AssetIn() for name in VALIDATED},
    description="A versioned, checksummed Data Package release in published/<package>/<version>/.",
)
def published_release(**validated) -> dg.MaterializeResult:
    from pipelines.validation import Validated
    from sources.catalog import load_catalog

    checked = Validated({name: validated[f"validated_{name}"] for name in ("memoranda", "documents", "regions")}, validated["validated_quarantine"])
    outcome = steps.published(checked, settings(), load_catalog())
    return dg.MaterializeResult(
        metadata={
            "version": outcome.version,
            "published": outcome.published,
            "reason": outcome.reason,
            "path": dg.MetadataValue.path(str(outcome.path)),
        }
    )


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def _json_meta(summary: dict) -> dict:
    return {key: dg.MetadataValue.json(value) if isinstance(value, dict) else value for key, value in summary.items()}

