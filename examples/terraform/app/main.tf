# A deliberately insecure module: every resource here leaves a customer-owned setting open.
# Run `onus scan examples/` to see the findings, or open this file in VS Code with Onus installed.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_s3_bucket" "assets" {
  bucket = "example-public-assets"
  acl    = "public-read"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH to the bastion host"

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "orders"
  password            = var.db_password
  publicly_accessible = true
  storage_encrypted   = false
}

resource "aws_instance" "worker" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
