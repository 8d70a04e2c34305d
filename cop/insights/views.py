"""/map: the knowledge map for everyone; /stats: figures for coordinators (and admins)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from ..auth import role_required
from ..core.cache import cached_page, shared
from ..i18n import fiscal_year
from . import knowledge_map, statistics
from .charts import bar_chart

bp = Blueprint("insights", __name__)


def _thai() -> bool:
    return str(get_locale() or "th").startswith("th")


@bp.route("/map")
@cached_page()
def map_page():
    thai = _thai()
    knowledge = shared(f"knowledge-map:{thai}", lambda: knowledge_map.build(thai=thai))
    return render_template("insights/map.html", knowledge=knowledge)


@bp.route("/stats")
@role_required("coordinator")
def stats_page():
    from ..search import searchlog

    figures = statistics.gather()
    thai = _thai()
    return render_template(
        "insights/stats.html",
        figures=figures,
        charts=[_category_chart(figures), _year_chart(figures), *_region_charts(figures, thai)],
        thai=thai,
        top_queries=searchlog.top_queries(),
        unfound_queries=searchlog.nothing_found(),
        search_log_days=searchlog.retention_days(),
    )


def _category_chart(figures):
    bars = []
    for c, t in figures.per_category:
        label = _("Category %(key)s", key=c.key)
        summary = _(
            "%(label)s: %(stories)d stories, %(threads)d questions, %(trainers)d trainers, %(aars)d AARs",
            label=label,
            stories=t.stories,
            threads=t.threads,
            trainers=t.trainers,
            aars=t.aars,
        )
        bars.append((label, t.total, summary))
    return bar_chart("chart-category", _("Content per PMQA category"), bars)


def _year_chart(figures):
    bars = []
    for r in figures.per_year:
        if r.stories:
            label = fiscal_year(r.year, bare=True) if r.year else _("No year given")
            bars.append((label, r.stories, _("%(year)s: %(n)d stories", year=label, n=r.stories)))
    return bar_chart("chart-year", _("Case stories per fiscal year"), bars)


def _region_charts(figures, thai: bool) -> list:
    """Two charts over the regions: clinics held there, and registrations for them."""
    clinics, registrations = [], []
    for r in figures.per_region:
        name = r.name_th if thai else r.name_en
        upcoming_past = _(
            "%(region)s: %(upcoming)d upcoming, %(past)d past", region=name, upcoming=r.upcoming, past=r.past
        )
        clinics.append((name, r.clinics, upcoming_past))
        seats = _(
            "%(region)s: %(registered)d registered, %(waitlisted)d waitlisted",
            region=name,
            registered=r.registered,
            waitlisted=r.waitlisted,
        )
        registrations.append((name, r.registered, seats))
    return [
        bar_chart("chart-region", _("Mobile clinics per region"), clinics),
        bar_chart("chart-registrations", _("Clinic registrations per region"), registrations),
    ]
