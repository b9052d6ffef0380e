using System.Reflection;

namespace Crm.Contracts.Soap;

/// <summary>The hand-kept WSDL documents, embedded in this assembly under their file names.</summary>
public static class SoapWsdlDocuments
{
    public const string ErpSalesServiceFileName = "ErpSalesService.wsdl";
    public const string ErpHubServiceFileName = "ErpHubService.wsdl";

    private static readonly Lazy<string> ErpSales = new(() => Load(ErpSalesServiceFileName));
    private static readonly Lazy<string> ErpHub = new(() => Load(ErpHubServiceFileName));

    /// <summary>ErpSalesService.wsdl (the ERP's service the hub calls).</summary>
    public static string ErpSalesService => ErpSales.Value;

    /// <summary>ErpHubService.wsdl (the hub's inbound service the ERP calls).</summary>
    public static string ErpHubService => ErpHub.Value;

    /// <summary>Opens an embedded WSDL by file name.</summary>
    public static Stream Open(string fileName) =>
        typeof(SoapWsdlDocuments).Assembly.GetManifestResourceStream(fileName)
        ?? throw new FileNotFoundException($"No embedded WSDL named '{fileName}'.", fileName);

    /// <summary>Reads an embedded WSDL by file name.</summary>
    public static string Load(string fileName)
    {
        using var reader = new StreamReader(Open(fileName));
        return reader.ReadToEnd();
    }
}
