"""The inference service: a registered model version behind `POST /api/v1/predictions`."""
