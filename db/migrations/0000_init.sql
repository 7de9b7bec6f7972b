CREATE TABLE `intake_change` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`import_id` bigint unsigned NOT NULL,
	`table_name` varchar(64) NOT NULL,
	`row_id` bigint NOT NULL,
	`action` varchar(10) NOT NULL,
	`before` json,
	CONSTRAINT `intake_change_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `intake_file_chunk` (
	`import_id` bigint unsigned NOT NULL,
	`seq` int NOT NULL,
	`data` mediumblob NOT NULL,
	CONSTRAINT `intake_file_chunk_import_id_seq_pk` PRIMARY KEY(`import_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `intake_import` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`public_id` varchar(36) NOT NULL,
	`source` varchar(100) NOT NULL DEFAULT '',
	`created_by` bigint NOT NULL,
	`status` varchar(20) NOT NULL DEFAULT 'uploaded',
	`file_name` varchar(255) NOT NULL,
	`file_size` bigint NOT NULL DEFAULT 0,
	`format` json,
	`settings` json,
	`counts` json,
	`error` json,
	`progress_done` int NOT NULL DEFAULT 0,
	`progress_total` int NOT NULL DEFAULT 0,
	`progress_phase` varchar(20) NOT NULL DEFAULT '',
	`claimed_by` varchar(64),
	`heartbeat_at` timestamp(3),
	`created_at` timestamp(3) NOT NULL DEFAULT (now()),
	`started_at` timestamp(3),
	`finished_at` timestamp(3),
	CONSTRAINT `intake_import_id` PRIMARY KEY(`id`),
	CONSTRAINT `intake_import_public_id_unique` UNIQUE(`public_id`)
);
--> statement-breakpoint
CREATE TABLE `intake_row` (
	`import_id` bigint unsigned NOT NULL,
	`line` int NOT NULL,
	`outcome` varchar(10) NOT NULL,
	`reason` varchar(30),
	`username` varchar(100) NOT NULL DEFAULT '',
	`user_id` bigint,
	`diff` json,
	`problems` json,
	CONSTRAINT `intake_row_import_id_line_pk` PRIMARY KEY(`import_id`,`line`)
);
--> statement-breakpoint
CREATE TABLE `intake_saved_setting` (
	`kind` varchar(20) NOT NULL,
	`name` varchar(191) NOT NULL,
	`value` json NOT NULL,
	`updated_at` timestamp(3) NOT NULL DEFAULT (now()),
	CONSTRAINT `intake_saved_setting_kind_name_pk` PRIMARY KEY(`kind`,`name`)
);
--> statement-breakpoint
CREATE TABLE `intake_source_user` (
	`source` varchar(100) NOT NULL,
	`user_id` bigint NOT NULL,
	`import_id` bigint unsigned NOT NULL,
	CONSTRAINT `intake_source_user_source_user_id_pk` PRIMARY KEY(`source`,`user_id`)
);
--> statement-breakpoint
CREATE INDEX `intake_change_import_ix` ON `intake_change` (`import_id`);--> statement-breakpoint
CREATE INDEX `intake_import_status_ix` ON `intake_import` (`status`);--> statement-breakpoint
CREATE INDEX `intake_import_source_ix` ON `intake_import` (`source`);--> statement-breakpoint
CREATE INDEX `intake_row_outcome_ix` ON `intake_row` (`import_id`,`outcome`);