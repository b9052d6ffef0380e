using System.Xml;
using System.Xml.Serialization;
using Crm.Contracts.Soap.ErpHub;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>xs:dateTime values the ERP reports keep their instant and offset through the XmlSerializer contracts, in both directions.</summary>
public sealed class ErpTimeOffsetTests
{
    private static readonly XmlSerializer PaymentReceipt = new(typeof(ReportPaymentReceiptRequest));

    public static TheoryData<string, DateTimeOffset> Written => new()
    {
        { "2026-11-20T10:15:00+08:00", new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.FromHours(8)) },
        { "2026-11-20T10:15:00-05:30", new DateTimeOffset(2026, 11, 20, 10, 15, 0, new TimeSpan(-5, -30, 0)) },
        { "2026-11-20T02:15:00.125Z", new DateTimeOffset(2026, 11, 20, 2, 15, 0, 125, TimeSpan.Zero) },
        { "2026-11-20T10:15:00", new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void Payment_receipt_time_is_read_with_its_instant_and_offset_and_no_offset_means_utc(string text, DateTimeOffset expected)
    {
        var request = Read($"<receivedAt>{text}</receivedAt>");

        Assert.Equal(expected, request.ReceivedAt);
        Assert.Equal(expected.Offset, request.ReceivedAt.Offset);
    }

    [Theory]
    [InlineData("20 Nov 2026")]
    [InlineData("2026-11-20T10:15:00+25:00")]
    [InlineData("")]
    public void Payment_receipt_time_that_is_no_xs_datetime_makes_the_body_unreadable(string text) =>
        Assert.Throws<InvalidOperationException>(() => Read($"<receivedAt>{text}</receivedAt>"));

    [Fact]
    public void Missing_time_stays_the_default_so_the_service_can_call_it_required() =>
        Assert.Equal(default, Read("").ReceivedAt);

    [Fact]
    public void Payment_receipt_written_by_the_contract_keeps_the_offset_and_matches_golden_file()
    {
        var request = new ReportPaymentReceiptRequest
        {
            DocumentId = "PAY-1", OrderNumber = "SO0000000001", ReceiptNumber = "SK-0001", Amount = 150.50m,
            ReceivedAt = new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.FromHours(8)),
        };
        using var text = new StringWriter();
        PaymentReceipt.Serialize(text, request);

        Golden.AssertMatches("erp-hub-report-payment-receipt-request.xml", Golden.NormaliseXml(text.ToString()));
        Assert.Equal(request.ReceivedAt.Offset, Read(text.ToString(), whole: true).ReceivedAt.Offset);
    }

    private static ReportPaymentReceiptRequest Read(string receivedAt, bool whole = false)
    {
        var xml = whole ? receivedAt : $"""
            <ReportPaymentReceipt xmlns="{ErpHubContract.Namespace}"><documentId>D</documentId><orderNumber>O</orderNumber>
            <receiptNumber>R</receiptNumber><amount>1</amount>{receivedAt}</ReportPaymentReceipt>
            """;
        using var reader = XmlReader.Create(new StringReader(xml));
        return (ReportPaymentReceiptRequest)PaymentReceipt.Deserialize(reader)!;
    }
}
