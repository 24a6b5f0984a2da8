"""Every moderation write, one module per part: `reports` (residents report, auto-hide).

Import from the module that does the work (`from moderation.services.reports import
report_create`); this package holds no code of its own, so parts built side by side never
edit the same file.
"""
