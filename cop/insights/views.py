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
    figures = statistics.gather()
    thai = _thai()

    def category_label(c):
        return _("Category %(key)s", key=c.key)

    def region_name(r):
        return r.name_th if thai else r.name_en

    def year_label(row):
        return fiscal_year(row.year, bare=True) if row.year else _("No year given")

    charts = [
        bar_chart(
            "chart-category",
            _("Content per PMQA category"),
            [
                (
                    category_label(c),
                    t.total,
                    _(
                        "%(label)s: %(stories)d stories, %(threads)d questions, %(trainers)d trainers, %(aars)d AARs",
                        label=category_label(c),
                        stories=t.stories,
                        threads=t.threads,
                        trainers=t.trainers,
                        aars=t.aars,
                    ),
                )
                for c, t in figures.per_category
            ],
        ),
        bar_chart(
            "chart-year",
            _("Case stories per fiscal year"),
            [
                (year_label(r), r.stories, _("%(year)s: %(n)d stories", year=year_label(r), n=r.stories))
                for r in figures.per_year
                if r.stories
            ],
        ),
        bar_chart(
            "chart-region",
            _("Mobile clinics per region"),
            [
                (
                    region_name(r),
                    r.clinics,
                    _(
                        "%(region)s: %(upcoming)d upcoming, %(past)d past",
                        region=region_name(r),
                        upcoming=r.upcoming,
                        past=r.past,
                    ),
                )
                for r in figures.per_region
            ],
        ),
        bar_chart(
            "chart-registrations",
            _("Clinic registrations per region"),
            [
                (
                    region_name(r),
                    r.registered,
                    _(
                        "%(region)s: %(registered)d registered, %(waitlisted)d waitlisted",
                        region=region_name(r),
                        registered=r.registered,
                        waitlisted=r.waitlisted,
                    ),
                )
                for r in figures.per_region
            ],
        ),
    ]
    from ..search import searchlog

    return render_template(
        "insights/stats.html",
        figures=figures,
        charts=charts,
        thai=thai,
        top_queries=searchlog.top_queries(),
        unfound_queries=searchlog.nothing_found(),
        search_log_days=searchlog.retention_days(),
    )
