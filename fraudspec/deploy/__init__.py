"""The AWS deploy stage: publish artifacts, run Terraform, wait for the endpoint, smoke-test it.

`aws.py` is the flow behind `fraudspec plan|apply|destroy` for aws environments; the other modules
are its parts. Nothing here is imported at CLI start-up.
"""
