"""Serving code copied verbatim into model.tar.gz as `code/`.

Standard library and numpy only: these files run in SageMaker's scikit-learn container and in
any environment with numpy, never importing fraudspec or scikit-learn. Inside the tarball they
are top-level modules; here they are also importable as `fraudspec.artifact.handler.*`.
"""
