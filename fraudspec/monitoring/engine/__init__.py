"""The monitoring engine: SageMaker Model Monitor's files, checks and metrics, computed with numpy.

The modules, in the order data flows through them:
    table        rows (CSV text, JSON values) -> typed columns, Deequ's value types
    kll          Deequ's KLL quantile sketch
    statistics   statistics.json: profile columns, read/write the file
    constraints  constraints.json: suggest from a baseline, customize from the spec, read/write
    baseline     the training CSV -> both baseline files
    capture      SageMaker capture JSON Lines -> a table; malformed lines counted
    distance     Deequ's drift distances (KS on sketches, LInfinity, chi-square)
    checks       the six Model Monitor checks -> violations
    execution    run_execution (pure) -> ExecutionResult; write_reports
    metrics      the CloudWatch metric data of an execution
    storage      the edge: capture sources and report sinks, local and S3
    runner       one execution for a spec's environment (the CLI's and the local runtime's entry)
    report       the tables the CLI prints
    html_*       the self-contained HTML drift report (input files, page, SVG plots, CSS)
    quality/     model quality against ground truth
    jsonfile     deterministic JSON writing, shape-checked reading
"""
