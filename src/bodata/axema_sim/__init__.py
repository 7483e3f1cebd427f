"""A stand-in Axema Vaka access-control system (no public API of local Vaka exists) for tests and demos."""

from bodata.axema_sim.app import create_sim_app
from bodata.axema_sim.generator import SimData, generate_site
from bodata.axema_sim.server import RunningSim, run_sim, start_sim
from bodata.axema_sim.state import Faults, SimState

__all__ = ["Faults", "RunningSim", "SimData", "SimState", "create_sim_app", "generate_site", "run_sim", "start_sim"]
