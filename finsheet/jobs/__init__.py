"""Background work: the job queue (the only threads in finsheet) and what it runs.

    queue      JobQueue: jobs in the store, retries with backoff, cancel, timeouts, a supervisor of its workers
    tasks      the task registry, the context a task gets, the built-in "extract" task
    health     what the queue reports about itself (workers alive, restarts, the last error)
    worker     the extraction child process each queue worker owns (PDFium is not thread-safe)
    gather     a consolidation's documents from files or the store; the "consolidate" and "workbook" tasks
    uploads    an uploaded PDF checked and saved (bad input gets a stored record, never lost)
    intake     an upload submitted as an extraction job
    importer   a folder of PDFs imported from the command line
    notify     the email sent when a job ends (optional SMTP)
"""

from finsheet.jobs.queue import JobQueue, TaskContext, register_task, registered_tasks

__all__ = ["JobQueue", "TaskContext", "register_task", "registered_tasks"]
