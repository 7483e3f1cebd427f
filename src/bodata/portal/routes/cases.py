"""Placeholder: filled by the portal work in progress."""

from fastapi import APIRouter

router = APIRouter()
