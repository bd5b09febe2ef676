"""Serving the dashboard to many users: replicas behind a load balancer (`cluster`)."""
