"""Imports every module that defines tables, so ``Base.metadata`` describes the whole schema (for Alembic)."""

import bodata.boenderegister.models
import bodata.core.db.generations
import bodata.core.demo
import bodata.core.standin.models
import bodata.core.throttle
import bodata.huslejeregister.models
import bodata.inskrivning.models
import bodata.portal.models  # noqa: F401
