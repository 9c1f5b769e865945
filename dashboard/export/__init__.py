"""Exports of a filtered view: figures, network data, cited evidence and a briefing deck.

Entry point: :func:`dashboard.export.formats.export_view` (used by the app's export menu,
``python -m dashboard export`` and ``bench/bench_exports.py``).

Modules
-------
formats        the format registry and ``export_view``
captions       filter titles, attribution footer, safe file names
scene          the graph panel's drawing of a view → a scene to render
graph_figure   scene → PNG (Agg + Pillow labels), SVG, PDF (matplotlib)
figures        graph scene and timeline figure of a view, titled for export
timeline_figure  Plotly → PNG/SVG/PDF with kaleido and a warm system Chromium
data           GEXF (dynamic), GraphML, nodes/edges CSV zip, evidence CSV
briefing       the PowerPoint deck (python-pptx)
"""
