// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

// The names of IntelMQ's common runtime parameters, which every bot block
// may set besides the parameters its Spec declares. The runner reads them
// (runner.BotOptions.WithParams); a bot never sees a difference.
const (
	ParamErrorProcedure    = "error_procedure"
	ParamErrorMaxRetries   = "error_max_retries"
	ParamErrorRetryDelay   = "error_retry_delay"
	ParamErrorDumpMessage  = "error_dump_message"
	ParamErrorLogMessage   = "error_log_message"
	ParamErrorLogException = "error_log_exception"
	ParamRateLimit         = "rate_limit"
	ParamLoadBalance       = "load_balance"
	ParamBatchSize         = "batch_size"
)

// CommonParams returns the declarations of IntelMQ's common runtime
// parameters, accepted in every bot block. They have no Default: a
// parameter left out keeps the runner's default, given in its Doc.
func CommonParams() []Param {
	return []Param{
		{Name: ParamErrorProcedure, Type: TypeString, Enum: []string{"pass", "stop"},
			Doc: "What to do with a message that failed all its retries: \"pass\" (dump it, send it to _on_error when routed, go on) or \"stop\" (the same, then stop the bot). Default \"pass\"."},
		{Name: ParamErrorMaxRetries, Type: TypeInt,
			Doc: "How often a failed message is tried again before error_procedure applies. Default 3."},
		{Name: ParamErrorRetryDelay, Type: TypeDuration,
			Doc: "The wait before a retry and after a queue error, e.g. \"15s\" or 15 (seconds). Default 15s."},
		{Name: ParamErrorDumpMessage, Type: TypeBool,
			Doc: "Write a message that failed all its retries to the bot's dump file. Default true."},
		{Name: ParamErrorLogMessage, Type: TypeBool,
			Doc: "Log a failed message at INFO. Default false."},
		{Name: ParamErrorLogException, Type: TypeBool,
			Doc: "Log the error chain of a failure as its traceback (else only the error). Default true."},
		{Name: ParamRateLimit, Type: TypeDuration,
			Doc: "The wait after each processed message, e.g. \"1s\"; it makes batches of one. Default 0."},
		{Name: ParamLoadBalance, Type: TypeBool,
			Doc: "Send each message to one queue of a path, in turn, instead of to all of them. Default false."},
		{Name: ParamBatchSize, Type: TypeInt,
			Doc: "How many messages are received, processed and acknowledged together. Default 2000."},
	}
}

// CommonParam returns the common runtime parameter named name, or nil.
func CommonParam(name string) *Param {
	for _, p := range CommonParams() {
		if p.Name == name {
			return &p
		}
	}
	return nil
}
