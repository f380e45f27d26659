"""Helpers of the SDK's tests: a webhook receiver, proxies that drop or delay connections, waiting."""
