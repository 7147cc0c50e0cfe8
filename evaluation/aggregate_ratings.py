#!/usr/bin/env python
"""Aggregate filled-in user-study sheets (see evaluation/user_study_template.md) into means with 95% bootstrap intervals.

Usage: python evaluation/aggregate_ratings.py ratings/*.csv [--by system] [--json out.json]
"""
import sys

from fashion_reuse.evaluation.metrics import ratings_cli

if __name__ == '__main__': sys.exit(ratings_cli())
