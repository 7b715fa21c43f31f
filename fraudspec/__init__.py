"""fraudspec: a fraud-detection model on SageMaker, declared in one YAML spec."""

__version__ = "0.1.0"
