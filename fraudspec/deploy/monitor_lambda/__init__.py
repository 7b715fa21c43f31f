"""The monitoring Lambda: fraudspec's own monitoring job, run by EventBridge Scheduler on AWS."""
