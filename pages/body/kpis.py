"""KPIs and evaluation (VARIO advice 36, Recommendations 1.3 and 4): values against targets, and where data are missing."""

from clusterpolicy.views import kpis

kpis.render()
