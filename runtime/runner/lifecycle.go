// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// startBot starts a Go bot that is a Starter, retrying Start with delay
// until it succeeds, fails fatally or ctx ends. Validation happened when
// the bot was built (see Build and Validate).
func startBot(ctx context.Context, b botapi.Bot, log *slog.Logger, clock botapi.Clock, delay time.Duration) error {
	s, ok := b.(botapi.Starter)
	if !ok {
		return nil
	}
	for {
		err := s.Start(ctx)
		if err == nil {
			return nil
		}
		if errors.Is(err, botapi.ErrFatal) {
			log.Error(fmt.Sprintf("Bot initialization failed: %v.", trimDot(err.Error())))
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Error(fmt.Sprintf("Bot could not start, retrying in %s: %v.", delay, trimDot(err.Error())))
		if err := clock.Sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// flushBot lets a buffering bot make its output durable.
func flushBot(ctx context.Context, b botapi.Bot) error {
	if f, ok := b.(botapi.Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}

// closeBot closes a bot that is a Closer, logging a failure.
func closeBot(b botapi.Bot, log *slog.Logger) {
	if c, ok := b.(botapi.Closer); ok {
		if err := c.Close(); err != nil {
			log.Warn(fmt.Sprintf("Bot could not be closed cleanly: %v.", trimDot(err.Error())))
		}
	}
}

// Validate calls the Validate method of a bot that is a Validator.
func Validate(b botapi.Bot) error {
	if v, ok := b.(botapi.Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("invalid parameters: %w", err)
		}
	}
	return nil
}
