"""What an aws environment costs a month: the dated price table (prices.json, prices.py), the
estimate line by line with formulas and inputs (estimate.py), how people read it (report.py), and
the cost-aware warnings (hints.py). Nothing here talks to AWS."""
