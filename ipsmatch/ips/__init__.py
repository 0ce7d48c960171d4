"""IPS beyond the job search: the career profile, disclosure, support after the start and
reports (issue #17). Pure library code; the store and the CLI call into it."""
