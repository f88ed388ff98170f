#!/usr/bin/python3
"""A small Python client for Tessera's gateway: submit a job and print its streamed events.

Stubs come from proto/ (run examples/python/generate.sh first, or pass --stubs). Runs with
Debian's /usr/bin/python3 and python3-grpcio.

  /usr/bin/python3 examples/python/tessera_client.py --gateway 127.0.0.1:7080 --api-key "$TESSERA_API_KEY" \\
      submit --name ddp --gang 2 --file examples/ddp/train_ddp.py -- python3 train_ddp.py

Prints one JSON object per event (the stream resumes by itself after a dropped connection, from
the last sequence it saw) and exits 0 when the job succeeded.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load_stubs(path):
    sys.path.insert(0, path)
    from tessera.v1 import gateway_pb2, gateway_pb2_grpc, job_pb2  # noqa: E402

    return gateway_pb2, gateway_pb2_grpc, job_pb2


def build_spec(job_pb2, args):
    files = []
    for path in args.file:
        with open(path, "rb") as f:
            files.append(job_pb2.InlineFile(path=os.path.basename(path), content=f.read()))
    env = dict(kv.split("=", 1) for kv in args.env)
    entry = job_pb2.Entrypoint(command=args.command[0], args=args.command[1:], env=env, files=files)
    spec = job_pb2.JobSpec(
        name=args.name,
        entrypoint=entry,
        resources=job_pb2.Resources(cpu_cores=args.cpu_cores, gpu_count=args.gpus),
        timeout_seconds=args.timeout,
        max_attempts=args.max_attempts,
    )
    if args.gang:
        spec.gang.world_size = args.gang
    else:
        spec.independent.shard_count = args.shards
    return spec


def event_to_dict(job_pb2, event):
    kind = event.WhichOneof("event")
    body = getattr(event, kind)
    out = {"sequence": event.sequence, "kind": kind}
    for field, value in body.ListFields():
        if field.enum_type is not None:
            value = field.enum_type.values_by_number[value].name
        elif isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        out[field.name] = value
    return out


def stream(grpc, stub, gateway_pb2, job_pb2, job_id, metadata):
    """Streams events to stdout, resuming after a dropped connection; returns the summary."""
    last = 0
    while True:
        try:
            request = gateway_pb2.StreamJobEventsRequest(job_id=job_id, after_sequence=last)
            for response in stub.StreamJobEvents(request, metadata=metadata):
                event = event_to_dict(job_pb2, response.event)
                last = event["sequence"]
                print(json.dumps(event), flush=True)
                if event["kind"] == "summary":
                    return event
            return None
        except grpc.RpcError as err:
            if err.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL):
                print(json.dumps({"kind": "reconnecting", "after_sequence": last, "error": err.details()}), file=sys.stderr, flush=True)
                time.sleep(1)
                continue
            raise


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default=os.environ.get("TESSERA_GATEWAY", "127.0.0.1:7080"))
    parser.add_argument("--api-key", default=os.environ.get("TESSERA_API_KEY"))
    parser.add_argument("--tls-ca", default=os.environ.get("TESSERA_TLS_CA"), help="CA certificate the gateway's TLS certificate chains to (plaintext without one)")
    parser.add_argument("--stubs", default=os.path.join(HERE, "gen"), help="directory with generated stubs")
    sub = parser.add_subparsers(dest="verb", required=True)
    submit = sub.add_parser("submit", help="submit a job and stream its events")
    submit.add_argument("--name", required=True)
    group = submit.add_mutually_exclusive_group(required=True)
    group.add_argument("--gang", type=int, help="ranks of a gang (data-parallel training)")
    group.add_argument("--shards", type=int, help="independent shards")
    submit.add_argument("--file", action="append", default=[], help="file to ship into each shard directory")
    submit.add_argument("--env", action="append", default=[], help="KEY=VALUE for the shard processes")
    submit.add_argument("--cpu-cores", type=float, default=1)
    submit.add_argument("--gpus", type=int, default=0)
    submit.add_argument("--timeout", type=int, default=600)
    submit.add_argument("--max-attempts", type=int, default=3)
    submit.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("submit needs a command after --")

    import grpc

    gateway_pb2, gateway_pb2_grpc, job_pb2 = load_stubs(args.stubs)
    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            channel = grpc.secure_channel(args.gateway, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(args.gateway)
    stub = gateway_pb2_grpc.GatewayServiceStub(channel)
    metadata = [("authorization", f"Bearer {args.api_key}")] if args.api_key else []
    response = stub.SubmitJob(gateway_pb2.SubmitJobRequest(spec=build_spec(job_pb2, args)), metadata=metadata)
    print(json.dumps({"kind": "submitted", "job_id": response.job_id, "shard_count": response.shard_count}), flush=True)
    summary = stream(grpc, stub, gateway_pb2, job_pb2, response.job_id, metadata)
    sys.exit(0 if summary and summary.get("state") == "JOB_STATE_SUCCEEDED" else 1)


if __name__ == "__main__":
    main()
