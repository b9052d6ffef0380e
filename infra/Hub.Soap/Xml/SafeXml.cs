using System.Xml;
using System.Xml.Linq;

namespace Hub.Soap.Xml;

/// <summary>What was wrong with a document that <see cref="SafeXml"/> refused.</summary>
public enum SafeXmlProblem
{
    NotWellFormed,
    DtdProhibited,
    TooDeep,
}

/// <summary>A document refused by <see cref="SafeXml"/>.</summary>
public sealed class SafeXmlException(SafeXmlProblem problem, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public SafeXmlProblem Problem { get; } = problem;
}

/// <summary>
/// Loads untrusted XML: DTDs prohibited (no entity expansion, no external entities), no resolver,
/// a maximum element depth, processing instructions and comments dropped.
/// </summary>
public static class SafeXml
{
    public static XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreProcessingInstructions = true,
        IgnoreComments = true,
        CloseInput = false,
    };

    /// <summary>Parses <paramref name="data"/>; throws <see cref="SafeXmlException"/> when it is not acceptable.</summary>
    public static XDocument Load(ReadOnlyMemory<byte> data, int maxDepth)
    {
        var settings = CreateReaderSettings();
        try
        {
            // First pass: streaming, so a hostile depth is refused before any tree is built.
            using (var reader = XmlReader.Create(new ReadOnlyMemoryStream(data), settings))
            {
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.Depth + 1 > maxDepth)
                    {
                        throw new SafeXmlException(SafeXmlProblem.TooDeep, $"The XML is nested deeper than {maxDepth} elements.");
                    }
                }
            }

            using var treeReader = XmlReader.Create(new ReadOnlyMemoryStream(data), settings);
            return XDocument.Load(treeReader, LoadOptions.None);
        }
        catch (XmlException ex) when (ContainsDoctype(data.Span))
        {
            throw new SafeXmlException(SafeXmlProblem.DtdProhibited, "DTDs (DOCTYPE) are not allowed.", ex);
        }
        catch (XmlException ex)
        {
            throw new SafeXmlException(SafeXmlProblem.NotWellFormed, "The message is not well-formed XML.", ex);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new SafeXmlException(SafeXmlProblem.NotWellFormed, "The message is not well-formed XML.", ex);
        }
    }

    private static bool ContainsDoctype(ReadOnlySpan<byte> data) => data.IndexOf("<!DOCTYPE"u8) >= 0;

    /// <summary>A read-only stream over memory, without copying.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _position);
            data.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
