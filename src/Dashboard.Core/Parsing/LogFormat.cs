namespace Dashboard.Core.Parsing;

public enum LogFormat
{
    Text,
    JsonLines,
    Csv,
    TensorBoard,
}
