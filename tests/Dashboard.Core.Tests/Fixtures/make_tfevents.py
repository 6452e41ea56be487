#!/usr/bin/env python3
"""Writes small TensorBoard event files the way the real tools write them, with the standard library only.

torch / tensorboard / tensorflow are not installable on the build machines, so this script reproduces
their bytes field by field (proto3 serialization: fields in number order, defaults such as step 0 left
out, oneof members such as simple_value 0.0 kept, repeated numbers packed):

* torch.utils.tensorboard.SummaryWriter (tensorboard's EventFileWriter): the first record is
  Event{wall_time, file_version "brain.Event:2", source_metadata{writer}}; add_scalar writes
  Event{wall_time, step, summary{value{tag, simple_value}}}; add_scalar(new_style=True) writes
  value{tag, tensor{dtype DT_FLOAT, float_val [v]}, metadata{plugin_data{plugin_name "scalars"}}}
  (double_precision=True: dtype DT_DOUBLE, double_val [v]);
  add_histogram writes value{tag, histo{...}}, add_image value{tag, image{...}}, add_text a DT_STRING
  tensor of the "text" plugin: all three must be skipped by a scalar reader.
* TF2 tf.summary.scalar (C++ summary writer): value{tag, tensor{dtype DT_FLOAT, tensor_shape{},
  tensor_content <4 bytes>}, metadata{plugin_data{plugin_name "scalars"}, data_class SCALAR}}.

Run from this folder: python3 make_tfevents.py   (deterministic: fixed wall times and values)
"""
import math
import struct

TORCH_FILE = "events.out.tfevents.1723754467.trainer-node.4242.0"
TF2_FILE = "events.out.tfevents.1723754500.trainer-node.4243.0.v2"
T0 = 1723754467.25


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _table()


def masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data: bytes) -> bytes:
    """TFRecord framing, as tensorboard's RecordWriter and TF's RecordWriter write it."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc(header)) + data + struct.pack("<I", masked_crc(data))


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint((field << 3) | wire)


def f_varint(field, value):
    return b"" if value == 0 else key(field, 0) + varint(value)


def f_double(field, value, keep_default=False):
    return b"" if value == 0 and not keep_default else key(field, 1) + struct.pack("<d", value)


def f_float(field, value, keep_default=False):
    return b"" if value == 0 and not keep_default else key(field, 5) + struct.pack("<f", value)


def f_bytes(field, value: bytes, keep_empty=False):
    return b"" if not value and not keep_empty else key(field, 2) + varint(len(value)) + value


def f_packed_float(field, values):
    return f_bytes(field, b"".join(struct.pack("<f", v) for v in values))


def f_packed_double(field, values):
    return f_bytes(field, b"".join(struct.pack("<d", v) for v in values))


def event(wall_time, step=0, file_version=b"", summary=None, source_writer=None):
    data = f_double(1, wall_time) + f_varint(2, step) + f_bytes(3, file_version)
    if summary is not None:
        data += f_bytes(5, summary, keep_empty=True)
    if source_writer is not None:
        data += f_bytes(10, f_bytes(1, source_writer), keep_empty=True)
    return data


def summary(*values):
    return b"".join(f_bytes(1, v, keep_empty=True) for v in values)


def plugin_metadata(name: bytes, data_class=0):
    return f_bytes(1, f_bytes(1, name)) + f_varint(4, data_class)


def value_simple(tag, v):
    return f_bytes(1, tag.encode()) + f_float(2, v, keep_default=True)


def value_new_style(tag, v):
    tensor = f_varint(1, 1) + f_packed_float(5, [v])  # dtype DT_FLOAT, float_val [v]; no shape set
    return f_bytes(1, tag.encode()) + f_bytes(8, tensor, keep_empty=True) + f_bytes(9, plugin_metadata(b"scalars"), keep_empty=True)


def value_new_style_double(tag, v):
    tensor = f_varint(1, 2) + f_packed_double(6, [v])  # add_scalar(new_style=True, double_precision=True)
    return f_bytes(1, tag.encode()) + f_bytes(8, tensor, keep_empty=True) + f_bytes(9, plugin_metadata(b"scalars"), keep_empty=True)


def value_tf2(tag, v):
    tensor = f_varint(1, 1) + f_bytes(2, b"", keep_empty=True) + f_bytes(4, struct.pack("<f", v))
    return f_bytes(1, tag.encode()) + f_bytes(8, tensor) + f_bytes(9, plugin_metadata(b"scalars", data_class=1))


def value_histogram(tag, samples):
    limits = [0.5, 1.0, 1.5]
    counts = [sum(1 for s in samples if lo < s <= hi) for lo, hi in zip([-1e12] + limits, limits)]
    histo = (f_double(1, min(samples)) + f_double(2, max(samples)) + f_double(3, len(samples))
             + f_double(4, sum(samples)) + f_double(5, sum(s * s for s in samples))
             + f_packed_double(6, limits) + f_packed_double(7, counts))
    return f_bytes(1, tag.encode()) + f_bytes(5, histo)


def value_image(tag):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
    image = f_varint(1, 4) + f_varint(2, 4) + f_varint(3, 3) + f_bytes(4, png)
    return f_bytes(1, tag.encode()) + f_bytes(4, image)


def value_text(tag, text):
    shape = f_bytes(2, f_varint(1, 1))  # dim { size: 1 }
    tensor = f_varint(1, 7) + f_bytes(2, shape) + f_bytes(8, text.encode())  # DT_STRING, string_val
    return f_bytes(1, (tag + "/text_summary").encode()) + f_bytes(8, tensor) + f_bytes(9, plugin_metadata(b"text"))


def train_loss(step):
    return 2.0 / (1.0 + 0.1 * step)


def torch_file():
    out = bytearray(record(event(T0, file_version=b"brain.Event:2", source_writer=b"tensorboard.summary.writer.event_file_writer")))
    out += record(event(T0 + 0.5, 0, summary=summary(value_text("config", "lr: 0.001, batch_size: 32"))))
    for step in range(0, 20):
        wall = T0 + 1 + step * 1.5
        loss = float("nan") if step == 13 else train_loss(step)
        out += record(event(wall, step, summary=summary(value_simple("Loss/train", loss))))
        out += record(event(wall, step, summary=summary(value_simple("Accuracy/train", 0.5 + step * 0.02))))
        out += record(event(wall, step, summary=summary(value_new_style("lr", 1e-3 * (0.9 ** step)))))
        out += record(event(wall, step, summary=summary(value_new_style_double("grad_norm", 1.0 + step / 3))))
        if step % 5 == 4:
            out += record(event(wall + 0.25, step, summary=summary(value_simple("Loss/val", train_loss(step) * 1.1))))
            out += record(event(wall + 0.25, step, summary=summary(value_histogram("weights/fc1", [0.1, 0.7, 1.2, 1.4]))))
            out += record(event(wall + 0.25, step, summary=summary(value_image("samples/generated"))))
    return bytes(out)


def tf2_file():
    out = bytearray(record(event(T0 + 33, file_version=b"brain.Event:2", source_writer=b"tensorflow.core.util.events_writer")))
    for step in range(1, 11):
        out += record(event(T0 + 33 + step, step, summary=summary(value_tf2("epoch_loss", train_loss(step)), value_tf2("epoch_accuracy", step / 10))))
    return bytes(out)


if __name__ == "__main__":
    for name, data in ((TORCH_FILE, torch_file()), (TF2_FILE, tf2_file())):
        with open(name, "wb") as f:
            f.write(data)
        print(name, len(data), "bytes")
