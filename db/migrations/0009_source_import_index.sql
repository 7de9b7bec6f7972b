CREATE INDEX `intake_source_class_import_ix` ON `intake_source_class` (`import_id`);--> statement-breakpoint
CREATE INDEX `intake_source_user_import_ix` ON `intake_source_user` (`import_id`);