#!/usr/bin/env python3
"""Prints template.yaml as CloudFormation receives it: the SAM transform applied, as JSON.

The transform is cfn-lint's (it runs AWS's SAM translator, offline, the way `cfn-lint template.yaml`
does), so a test can read what SAM makes of the template (the permissions, roles and routes it
generates) and hold it against AWS's documented limits. Usage: tools/translate-template.py [template]
"""
import json
import sys

from cfnlint.decode import decode_str
from cfnlint.template.transforms._sam import Transform

path = sys.argv[1] if len(sys.argv) > 1 else "template.yaml"
with open(path, encoding="utf-8") as f:
    template, problems = decode_str(f.read())
if problems:
    sys.exit("\n".join(str(p) for p in problems))
transform = Transform(path, template, "us-east-1")
errors = transform.transform_template()
if errors:
    sys.exit("\n".join(str(e) for e in errors))
json.dump(transform._template, sys.stdout, indent=1, default=str)
