"""bskmq_torch: from a live PyTorch model to activation summaries, ADC references and PTQ accuracy.

See the README's "From PyTorch" section.
"""
from .design import design, load_design
from .io import FORMAT, VERSION, SummaryFileError, load_summaries, save_summaries
from .ptq import ptq, ptq_from_summaries
from .quantize import quantize_tensor, quantized
from .recorder import ACTIVATIONS, Recorder
from .summary import MAX_BINS, Summary, summarize

__all__ = [
    "Recorder",
    "Summary",
    "summarize",
    "save_summaries",
    "load_summaries",
    "design",
    "load_design",
    "quantized",
    "quantize_tensor",
    "ptq",
    "ptq_from_summaries",
    "SummaryFileError",
    "ACTIVATIONS",
    "MAX_BINS",
    "FORMAT",
    "VERSION",
]
