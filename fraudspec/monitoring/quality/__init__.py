"""Model-quality monitoring: captured predictions joined to ground truth, in Model Monitor's files and metrics.

The modules, in the order data flows through them:
    records      what capture and ground-truth JSON Lines share: numbered lines, join keys, payloads
    predictions  capture JSON Lines -> each record's join key and fraud probabilities
    groundtruth  ground-truth JSON Lines (SageMaker's format) -> labels; one record's line
    store        where labels live ({location}/yyyy/mm/dd/hh/), and writing them
    simulate     label noise and arrival delays for test traffic, deterministic by seed
    join         predictions x labels on inferenceId, else eventId -> aligned arrays, counts
    binary       confusion matrix, scores, rates, ROC/PR curves and areas (pure numpy)
    bootstrap    Model Monitor's standard deviations (five 80% draws, >= 200 labels)
    constraints  metric thresholds, constraints.json, violations
    statistics   statistics.json (`binary_classification_metrics`)
    execution    run_quality (pure) -> QualityResult; write_quality_reports
    cloudwatch   the CloudWatch metric data of an execution
    report       rows and the table the CLI prints
    runner       one execution for a spec's environment (CLI and local runtime)
"""
