"""The build stage: training data, a trained model, and its portable SageMaker artifact.

`pipeline.build(spec)` runs data -> train -> gate -> package and writes `build/<env>/`.
`synthetic` generates (and drifts) data, `dataset` holds and reads/writes it, `train` fits and
gates, `export` turns the fitted model into arrays, `package` writes model.tar.gz, and `loader`
opens one. `handler/` is the serving code copied verbatim into the tarball (numpy + stdlib only).
"""
