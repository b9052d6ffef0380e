#!/usr/bin/python3
"""Calls any operation of the hub's ErpHubService from its WSDL with python3-zeep (a client we did not write).

Prints one JSON document on stdout: {"results": [{"result": ..., "raw": "<response envelope>", "sent": "<request envelope>"} | {"fault": {...}, "raw": ..., "sent": ...}]}.
Usage:
  erp_hub_client.py WSDL_URL OPERATION ARGS_JSON --binding soap11|soap12 [--username U --password P --digest yes|no] [--repeat N]
ARGS_JSON holds the operation's parameters; decimals are read exactly and strings of fields ending in "At" become datetimes
(aware with the offset written, e.g. "+08:00" or "Z"; naive without one, which zeep sends without an offset).
"""
import argparse
import json
import sys
from datetime import datetime
from decimal import Decimal

import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin
from zeep.wsse.username import UsernameToken

NS = "{urn:crm-hub:erp-hub:v1}"


def with_datetimes(value):
    if isinstance(value, dict):
        return {k: (datetime.fromisoformat(v) if k.endswith("At") and isinstance(v, str) else with_datetimes(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [with_datetimes(v) for v in value]
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("operation")
    parser.add_argument("arguments")
    parser.add_argument("--binding", default="soap11")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--digest", default="yes")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    wsse = UsernameToken(args.username, args.password, use_digest=(args.digest == "yes")) if args.username else None
    history = HistoryPlugin()
    client = zeep.Client(args.wsdl, wsse=wsse, plugins=[history])
    port = "ErpHubSoap12Port" if args.binding == "soap12" else "ErpHubSoap11Port"
    service = client.bind("ErpHubService", port)
    parameters = with_datetimes(json.loads(args.arguments, parse_float=Decimal))
    results = []
    for _ in range(args.repeat):
        entry = {}
        try:
            entry["result"] = serialize_object(getattr(service, args.operation)(**parameters), target_cls=dict)
        except Fault as fault:
            detail = None
            if fault.detail is not None and len(fault.detail):
                child = fault.detail[0]
                detail = {"tag": child.tag, "code": child.findtext(NS + "code"), "message": child.findtext(NS + "message"),
                          "documentId": child.findtext(NS + "documentId")}
            entry["fault"] = {"code": fault.code, "message": fault.message, "detail": detail}
        if history.last_received is not None:
            entry["raw"] = etree.tostring(history.last_received["envelope"]).decode("utf-8")
        if history.last_sent is not None:
            entry["sent"] = etree.tostring(history.last_sent["envelope"]).decode("utf-8")
        results.append(entry)
    json.dump({"binding": args.binding, "results": results}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
