"""/directory/...: included from aethex/urls.py before streams.page_urls ("directory" is a reserved slug)."""

from __future__ import annotations

from django.urls import path

from streams import directory_views

urlpatterns = [
    path("directory/", directory_views.directory_index, name="directory"),
    path("directory/categories/", directory_views.category_list, name="directory-categories"),
    path("directory/category/<slug:slug>/", directory_views.category_detail, name="directory-category"),
    path("directory/tag/<str:tag>/", directory_views.tag_detail, name="directory-tag"),
]
