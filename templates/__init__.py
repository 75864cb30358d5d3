"""Jinja templates, CSS and JS of the HTML report, shipped in the wheel as dedupe.templates."""
