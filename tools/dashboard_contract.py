"""The evaluator contract of Training Dashboard jobs, shared by the shipped tools.

A job runs a command with {checkpoint} {output} {run_dir} {step} {config} filled in. The command:
  * prints lines such as "12/50" to show progress,
  * writes {output}/metrics.json: {"step": 5000, "metrics": {"val/mIoU": 0.61, ...}},
  * may write {output}/*.png and {output}/manifest.json pairing ground truth, generated and difference:
    {"samples": [{"name": "0", "ground_truth": "0_gt.png", "generated": "0_gen.png", "difference": "0_diff.png"}]}
  * exits 0 on success; anything else fails the job with the exit code and the last lines of output.
"""
import importlib
import json
import math
import os
import sys


def progress(done, total):
    print(f"{done}/{total}", flush=True)


def write_metrics(output, step, metrics):
    clean = {k: (v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))) for k, v in metrics.items()}
    with open(os.path.join(output, "metrics.json"), "w") as f:
        json.dump({"step": step, "metrics": clean}, f, indent=1)


def write_manifest(output, samples):
    with open(os.path.join(output, "manifest.json"), "w") as f:
        json.dump({"samples": samples}, f, indent=1)


def step_of(checkpoint_obj, given):
    """The step given on the command line, else the one a checkpoint dict records, else None."""
    if given not in (None, ""):
        return int(given)
    if isinstance(checkpoint_obj, dict):
        for key in ("step", "global_step", "iteration", "iter", "epoch"):
            value = checkpoint_obj.get(key)
            if isinstance(value, int):
                return value
    return None


def common_arguments(parser):
    """The arguments every shipped tool takes: what the job's placeholders fill in, the data and the model."""
    parser.add_argument("--checkpoint", required=True, help="{checkpoint}")
    parser.add_argument("--output", required=True, help="{output}")
    parser.add_argument("--step", default="", help="{step}; empty: the step the checkpoint records, if any")
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", default="", help="module:function building the model; empty: the checkpoint is TorchScript")


def load_for_job(torch, args):
    """The device (the job's GPU slot when there is one), the model, and the step of the results."""
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model, raw = load_model(torch, args.checkpoint, args.model, device)
    return device, model, step_of(raw, args.step)


def load_model(torch, checkpoint, model_spec, device, **kwargs):
    """A TorchScript file (no model_spec), or `module:function` building the model plus the checkpoint's state dict.

    Returns (model, raw checkpoint object or None)."""
    if not model_spec:
        return torch.jit.load(checkpoint, map_location=device).eval(), None
    module_name, _, function_name = model_spec.partition(":")
    if not function_name:
        sys.exit(f"--model must be module:function, not {model_spec!r}")
    sys.path.insert(0, os.getcwd())
    build = getattr(importlib.import_module(module_name), function_name)
    model = build(**kwargs) if kwargs else build()
    raw = torch.load(checkpoint, map_location="cpu", weights_only=False)
    state = raw
    if isinstance(raw, dict):
        for key in ("state_dict", "model_state_dict", "model", "net"):
            if isinstance(raw.get(key), dict):
                state = raw[key]
                break
    state = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in state.items()}
    model.load_state_dict(state)
    return model.to(device).eval(), raw
