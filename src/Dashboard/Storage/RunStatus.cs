namespace Dashboard.Storage;

public enum RunStatus
{
    Running,
    Stalled,
    Finished,
    Crashed,
}
