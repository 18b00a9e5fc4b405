"""Tooling around the growth-metrics dbt project: data generator, loaders, test servers, CLI."""

__version__ = "0.1.0"
