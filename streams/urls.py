from __future__ import annotations

from django.urls import path

from streams import ingest

ingest_urlpatterns = [
    path("publish", ingest.publish, name="ingest-publish"),
    path("publish_done", ingest.publish_done, name="ingest-publish-done"),
    path("update", ingest.update, name="ingest-update"),
    path("record_done", ingest.record_done, name="ingest-record-done"),
]
