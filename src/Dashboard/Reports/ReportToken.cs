using System.Buffers.Text;
using System.Security.Cryptography;

namespace Dashboard.Reports;

/// <summary>A report's address: 128 random bits from the OS's CSPRNG, base64url (22 characters, URL-safe).</summary>
public static class ReportToken
{
    public const int Bytes = 16;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Only strings that could be a token reach the store.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 22 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
