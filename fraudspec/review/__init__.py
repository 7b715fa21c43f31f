"""`fraudspec diff`: what a change does, per environment, for a reviewer.

    fields.py   two versions of nested data compared field by field
    labels.py   friendly names and units for spec fields ("serverless memory ... MB")
    state.py    one environment as a reviewer sees it: effective spec, lock entry, Terraform resources
    changes.py  two states compared: spec fields, locked artifacts, resources, endpoint flags
    report.py   the comparison as text or as a Markdown pull-request comment
    git.py      the spec, lock and terraform/ of a git ref, exported into a temporary directory
"""
