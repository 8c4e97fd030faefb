"""Benchmarks: journeybot side by side with the floor (a bare Bolt app that only acks, one bare commit).

Run from the checkout root, not under pytest:  python -m bench   (writes bench/results/latest.{json,md})
"""
