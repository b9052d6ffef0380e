#!/usr/bin/python3
"""An independent, WSDL-driven SOAP client (python3-zeep) used by the interop tests.

Prints one JSON document on stdout. Usage:
  zeep_client.py operations WSDL_URL
  zeep_client.py create WSDL_URL --binding soap11|soap12 [--username U --password P --digest yes|no]
                 --document-id ID --customer CODE --order ORDER [--repeat N]
"""
import argparse
import json
import sys
from decimal import Decimal

import zeep
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.wsse.username import UsernameToken
from lxml import etree


def list_operations(wsdl_url):
    client = zeep.Client(wsdl_url)
    result = {}
    for service_name, service in client.wsdl.services.items():
        ports = {}
        for port_name, port in service.ports.items():
            binding = port.binding
            ports[port_name] = {
                "binding": type(binding).__name__,
                "address": port.binding_options.get("address"),
                "operations": sorted(binding._operations.keys()),
            }
        result[service_name] = ports
    return result


def create(args):
    wsse = None
    if args.username:
        wsse = UsernameToken(args.username, args.password, use_digest=(args.digest == "yes"))
    client = zeep.Client(args.wsdl, wsse=wsse)
    port = "ErpSalesSoap12Port" if args.binding == "soap12" else "ErpSalesSoap11Port"
    service = client.bind("ErpSalesService", port)
    results = []
    for _ in range(args.repeat):
        try:
            answer = service.CreateSalesOrder(
                documentId=args.document_id,
                orderNumber=args.order,
                customerCode=args.customer,
                lines={"line": [
                    {"productCode": "P-1", "specModel": "M-1", "quantity": 2,
                     "unitPrice": Decimal("10.00"), "discount": Decimal("0.1")},
                    {"productCode": "P-2", "quantity": 1, "unitPrice": Decimal("5.50"), "discount": Decimal("0")},
                ]},
                totalAmount=Decimal("23.50"),
            )
            if not isinstance(answer, str):
                answer = serialize_object(answer)["salesOrderNumber"]
            results.append({"salesOrderNumber": answer})
        except Fault as fault:
            detail_child = None
            if fault.detail is not None and len(fault.detail):
                child = fault.detail[0]
                detail_child = {
                    "tag": child.tag,
                    "code": child.findtext("{urn:crm-hub:erp-sales:v1}code"),
                    "xml": etree.tostring(child).decode("utf-8"),
                }
            results.append({"fault": {"code": fault.code, "message": fault.message, "detail": detail_child}})
    return {"binding": args.binding, "results": results}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["operations", "create"])
    parser.add_argument("wsdl")
    parser.add_argument("--binding", default="soap11")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--digest", default="yes")
    parser.add_argument("--document-id")
    parser.add_argument("--customer", default="C-100")
    parser.add_argument("--order", default="ORD-1")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    output = list_operations(args.wsdl) if args.command == "operations" else create(args)
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main()
